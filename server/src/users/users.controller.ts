import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateTeamSchema, CreateUserSchema, UpdateTeamSchema, UpdateUserSchema, type TeamDto, type UserDto } from '../../../contracts/api';
import { ForbiddenError } from '../common/errors';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { UsersService } from './users.service';

class CreateUserDto extends createZodDto(CreateUserSchema) {}
class UpdateUserDto extends createZodDto(UpdateUserSchema) {}
class CreateTeamDto extends createZodDto(CreateTeamSchema) {}
class UpdateTeamDto extends createZodDto(UpdateTeamSchema) {}

/** Fields anyone may change on their own account; everything else is an admin's. */
const SELF_SERVICE_FIELDS = new Set(['name', 'password', 'currentPassword', 'availability']);

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Roles('admin')
  @Post()
  create(@Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(body);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto, @CurrentUser() caller: AuthUser): Promise<UserDto> {
    const selfService = id === caller.id && Object.keys(body).every((field) => SELF_SERVICE_FIELDS.has(field));
    if (caller.role !== 'admin' && !selfService) throw new ForbiddenError('Only an admin can change this');
    return this.users.update(id, body, caller);
  }
}

@ApiTags('teams')
@Controller('teams')
export class TeamsController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<TeamDto[]> {
    return this.users.listTeams();
  }

  @Roles('lead')
  @Post()
  create(@Body() body: CreateTeamDto): Promise<TeamDto> {
    return this.users.createTeam(body);
  }

  @Roles('lead')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTeamDto): Promise<TeamDto> {
    return this.users.updateTeam(id, body);
  }

  @Roles('lead')
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.deleteTeam(id);
  }
}
