import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateCustomerSchema, CustomerQuerySchema, UpdateCustomerSchema, type CustomerDto } from '../../../contracts/api';
import { CsvImportQuerySchema, CUSTOMER_WRITERS, type CsvImportReportDto } from '../../../contracts/customers';
import { AcceptsBody, Roles } from '../auth/auth.decorators';
import { InvalidFieldError } from '../common/errors';
import { CustomerImportService } from './customer-import.service';
import { CustomersService } from './customers.service';

class CreateCustomerDto extends createZodDto(CreateCustomerSchema) {}
class UpdateCustomerDto extends createZodDto(UpdateCustomerSchema) {}
class CustomerQueryDto extends createZodDto(CustomerQuerySchema) {}
class CsvImportQueryDto extends createZodDto(CsvImportQuerySchema) {}

const MAX_CSV_BYTES = 20 * 1024 * 1024;

/** The part of multer's file that the import reads. */
interface UploadedCsv {
  buffer: Buffer;
}

/** Everyone signed in reads customers; only CUSTOMER_WRITERS (and admins) change them: agents get 403. */
@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly imports: CustomerImportService,
  ) {}

  /** multipart/form-data with the CSV as `file`; answers with a per-row report. */
  @Roles('care_owner')
  @Post('import')
  @AcceptsBody('multipart/form-data')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_CSV_BYTES } }))
  import(@UploadedFile() file: UploadedCsv | undefined, @Query() query: CsvImportQueryDto): Promise<CsvImportReportDto> {
    if (!file) throw new InvalidFieldError('file', 'attach the CSV as the multipart field "file"');
    return this.imports.import(file.buffer, query.mode);
  }

  @Get()
  search(@Query() query: CustomerQueryDto): Promise<CustomerDto[]> {
    return this.customers.search(query.q, query.limit);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<CustomerDto> {
    return this.customers.get(id);
  }

  @Roles(...CUSTOMER_WRITERS)
  @Post()
  create(@Body() body: CreateCustomerDto): Promise<CustomerDto> {
    return this.customers.create(body);
  }

  @Roles(...CUSTOMER_WRITERS)
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCustomerDto): Promise<CustomerDto> {
    return this.customers.update(id, body);
  }

  @Roles(...CUSTOMER_WRITERS)
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.customers.delete(id);
  }
}
