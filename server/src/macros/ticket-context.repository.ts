import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Mailbox } from '../mail/mailbox.entity';
import { Team } from '../users/team.entity';
import { User } from '../users/user.entity';

/**
 * Reads the records that actions and templates refer to (customer, team, agent, mailbox) inside the
 * caller's transaction. Their own domains' repositories read on a separate connection, which under load
 * would leave every transaction holding one pool connection while waiting for a second.
 */
@Injectable()
export class TicketContextRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  customer(id: string, manager: EntityManager = this.dataSource.manager): Promise<Customer | null> {
    return manager.getRepository(Customer).findOneBy({ id });
  }

  team(id: string, manager: EntityManager = this.dataSource.manager): Promise<Team | null> {
    return manager.getRepository(Team).findOneBy({ id });
  }

  user(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOneBy({ id });
  }

  mailbox(id: string, manager: EntityManager = this.dataSource.manager): Promise<Mailbox | null> {
    return manager.getRepository(Mailbox).findOneBy({ id });
  }
}
