import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CapturedEmail } from './captured-email.entity';

/** The only code that queries the capture outbox. */
@Injectable()
export class CapturedEmailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get emails() {
    return this.dataSource.getRepository(CapturedEmail);
  }

  save(email: Omit<CapturedEmail, 'id' | 'createdAt' | 'mailbox'>): Promise<CapturedEmail> {
    return this.emails.save(email);
  }

  /** The newest first, with the name of the mailbox that kept each. */
  newest(limit: number): Promise<CapturedEmail[]> {
    return this.emails.find({ relations: { mailbox: true }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
