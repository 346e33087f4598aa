import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TicketFlag } from './ticket-flag.entity';

@Injectable()
export class TicketFlagsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One flag per agent and ticket: flagging twice keeps the first. */
  async add(ticketId: string, userId: string, note: string | null, at: Date): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(TicketFlag).values({ ticketId, userId, note, createdAt: at }).orIgnore().execute();
  }

  async remove(ticketId: string, userId: string): Promise<void> {
    await this.dataSource.getRepository(TicketFlag).delete({ ticketId, userId });
  }

  async summary(ticketId: string, userId: string): Promise<{ flags: number; flaggedByMe: boolean }> {
    const [row] = await this.dataSource.query<{ flags: number; mine: boolean }[]>(
      'SELECT count(*)::int AS flags, coalesce(bool_or(user_id = $2), false) AS mine FROM ticket_flags WHERE ticket_id = $1',
      [ticketId, userId],
    );
    return { flags: row.flags, flaggedByMe: row.mine };
  }
}
