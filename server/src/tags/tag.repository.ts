import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Tag } from './tag.entity';

@Injectable()
export class TagRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Tag);
  }

  findAll(): Promise<Tag[]> {
    return this.repo().find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<Tag | null> {
    return this.repo().findOneBy({ id });
  }

  findByName(name: string): Promise<Tag | null> {
    return this.repo().findOneBy({ name });
  }

  /** The tags with these names, creating the missing ones (concurrency-safe). */
  async ensure(names: string[], manager?: EntityManager): Promise<Tag[]> {
    if (names.length === 0) return [];
    await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .into(Tag)
      .values(names.map((name) => ({ name })))
      .orIgnore()
      .execute();
    return this.repo(manager).find({ where: { name: In(names) } });
  }

  save(tag: Partial<Tag>): Promise<Tag> {
    return this.repo().save(tag);
  }

  /**
   * Gives every ticket of `sourceId` the tag `targetId` and deletes the source tag, in one transaction; the
   * ticket_tags trigger moves the rollups along. Returns how many tickets carried the source tag.
   */
  async merge(sourceId: string, targetId: string, manager: EntityManager): Promise<number> {
    const [{ count }] = await manager.query<{ count: number }[]>('SELECT count(*)::int AS count FROM ticket_tags WHERE tag_id = $1', [sourceId]);
    await manager.query(
      `INSERT INTO ticket_tags (ticket_id, tag_id, created_at)
       SELECT ticket_id, $2, created_at FROM ticket_tags WHERE tag_id = $1
       ON CONFLICT DO NOTHING`,
      [sourceId, targetId],
    );
    await manager.getRepository(Tag).delete({ id: sourceId });
    return count;
  }

  /** Whether a ticket has at least one tag, as seen inside the caller's transaction. */
  async ticketHasTags(ticketId: string, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM ticket_tags WHERE ticket_id = $1 LIMIT 1', [ticketId]);
    return rows.length > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo().delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
