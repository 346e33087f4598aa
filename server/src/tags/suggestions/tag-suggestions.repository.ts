import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import type { SuggestionState, TagSuggestionDto } from '../../../../contracts/care';
import type { TagModel } from '../suggest/tag-suggester';
import { KeywordRule } from './keyword-rule.entity';
import { TagModelRecord } from './tag-model.entity';
import { TicketTagSuggestion } from './ticket-tag-suggestion.entity';

/** Models, per-ticket suggestions and keyword rules. */
@Injectable()
export class TagSuggestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The newest model's id and training time, without its (large) body. */
  async latestModelInfo(): Promise<{ id: string; trainedAt: Date; examples: number } | null> {
    const [row] = await this.dataSource.query<{ id: string; trained_at: Date; examples: number }[]>(
      'SELECT id, trained_at, examples FROM tag_models ORDER BY trained_at DESC LIMIT 1',
    );
    return row ? { id: row.id, trainedAt: row.trained_at, examples: row.examples } : null;
  }

  async loadModel(id: string): Promise<TagModel | null> {
    return (await this.dataSource.getRepository(TagModelRecord).findOneBy({ id }))?.model ?? null;
  }

  /** Stores a new model and drops those older than the one it replaces (kept while instances switch over). */
  async saveModel(model: TagModel, examples: number, trainedAt: Date): Promise<void> {
    const repository = this.dataSource.getRepository(TagModelRecord);
    const previous = await this.latestModelInfo();
    await repository.insert({ model, examples, trainedAt });
    if (previous) await repository.delete({ trainedAt: LessThan(previous.trainedAt) });
  }

  /** Tag assignments on tickets that arrived since `since` (all of them without one), from the rollups. */
  async taggingsSince(since: Date | null): Promise<number> {
    const [row] = await this.dataSource.query<{ count: number }[]>(
      `SELECT coalesce(sum(tickets), 0)::int AS count FROM tag_daily_counts WHERE $1::date IS NULL OR day >= $1::date`,
      [since],
    );
    return row.count;
  }

  /** Records suggestions for a ticket; a tag already suggested keeps its first suggestion and the agent's decision. */
  async insertSuggestions(rows: Pick<TicketTagSuggestion, 'ticketId' | 'tagId' | 'confidence' | 'source'>[], at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(TicketTagSuggestion)
      .values(rows.map((row) => ({ ...row, createdAt: at })))
      .orIgnore()
      .execute();
  }

  async forTicket(ticketId: string): Promise<TagSuggestionDto[]> {
    return this.dataSource.query<TagSuggestionDto[]>(
      `SELECT s.tag_id AS "tagId", t.name AS tag, t.color, s.confidence, s.source, s.state
         FROM ticket_tag_suggestions s JOIN tags t ON t.id = s.tag_id
        WHERE s.ticket_id = $1 ORDER BY s.confidence DESC, t.name`,
      [ticketId],
    );
  }

  async decide(ticketId: string, tagId: string, state: SuggestionState, userId: string, at: Date): Promise<boolean> {
    const result = await this.dataSource.getRepository(TicketTagSuggestion).update({ ticketId, tagId }, { state, decidedById: userId, decidedAt: at });
    return (result.affected ?? 0) > 0;
  }

  listRules(): Promise<KeywordRule[]> {
    return this.dataSource.getRepository(KeywordRule).find({ relations: { tag: true }, order: { createdAt: 'ASC' } });
  }

  findRule(id: string): Promise<KeywordRule | null> {
    return this.dataSource.getRepository(KeywordRule).findOne({ where: { id }, relations: { tag: true } });
  }

  async saveRule(rule: Partial<KeywordRule>): Promise<string> {
    const saved = await this.dataSource.getRepository(KeywordRule).save(rule);
    return saved.id;
  }

  async deleteRule(id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(KeywordRule).delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
