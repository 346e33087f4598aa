import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { VoidAnswerSchema } from '../../../../contracts/surveys';
import { AcceptsBody, CurrentUser, Public, Roles, type AuthUser } from '../../auth/auth.decorators';
import { SurveysService } from './surveys.service';

class VoidAnswerDto extends createZodDto(VoidAnswerSchema) {}

/** The customer's survey page (public, signed links) and voiding an answer (leads and admins). */
@ApiTags('surveys')
@Controller('surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Roles('lead')
  @Post('answers/:id/void')
  @HttpCode(204)
  async voidAnswer(@Param('id', ParseUUIDPipe) id: string, @Body() body: VoidAnswerDto, @CurrentUser() user: AuthUser): Promise<void> {
    await this.surveys.voidAnswer(id, body.reason, user);
  }

  /** The link in the email: shows the choice preselected and records nothing (mail scanners open links). */
  @Public()
  @Get(':token')
  async page(@Param('token') token: string, @Query('answer') answer: unknown, @Res() response: Response): Promise<void> {
    const { status, html } = await this.surveys.page(token, answer);
    response.status(status).type('html').send(html);
  }

  /** The page's form: records the answer, replacing an earlier one. */
  @Public()
  @AcceptsBody('application/x-www-form-urlencoded')
  @Post(':token')
  async answer(@Param('token') token: string, @Body() form: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const { status, html } = await this.surveys.answer(token, form);
    response.status(status).type('html').send(html);
  }
}
