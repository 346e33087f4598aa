import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CreateTagRequest, TagDto, UpdateTagRequest } from '../../../contracts/api';
import type { MergeTagResultDto, TagSettingsDto, UpdateTagSettingsRequest } from '../../../contracts/care';
import type { TicketStatus } from '../../../contracts/domain';
import { ConflictError, InvalidFieldError, NotFoundError } from '../common/errors';
import type { TagSettings } from './tag-settings.entity';
import { TagSettingsRepository } from './tag-settings.repository';
import type { Tag } from './tag.entity';
import { TagRepository } from './tag.repository';
import { OutboxService } from '../outbox/outbox.service';

export const toTagDto = (tag: Tag): TagDto => ({ id: tag.id, name: tag.name, description: tag.description, color: tag.color });

const toSettingsDto = ({ requireTagToSolve, risingMinRatio, risingMaxPValue, recurringWeeklyMin, recurringWeeks, retrainAfterTaggings }: TagSettings): TagSettingsDto => ({
  requireTagToSolve,
  risingMinRatio,
  risingMaxPValue,
  recurringWeeklyMin,
  recurringWeeks,
  retrainAfterTaggings,
});

/** Statuses that end a ticket's work: with the setting on, a ticket needs a tag to reach them. */
const FINISHED_STATUSES: readonly TicketStatus[] = ['solved', 'closed'];

@Injectable()
export class TagsService {
  constructor(
    private readonly tags: TagRepository,
    private readonly settings: TagSettingsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async list(): Promise<TagDto[]> {
    return (await this.tags.findAll()).map(toTagDto);
  }

  async create(input: CreateTagRequest): Promise<TagDto> {
    if (await this.tags.findByName(input.name)) throw new ConflictError(`Tag "${input.name}" already exists`);
    return toTagDto(await this.tags.save(input));
  }

  /** Rename, describe, colour. Tickets, rules and initiatives hold the tag by id, so a rename carries over. */
  async update(id: string, input: UpdateTagRequest): Promise<TagDto> {
    const tag = await this.tags.findById(id);
    if (!tag) throw new NotFoundError('Tag');
    if (input.name && input.name !== tag.name && (await this.tags.findByName(input.name))) {
      throw new ConflictError(`Tag "${input.name}" already exists`);
    }
    return toTagDto(await this.tags.save({ ...tag, ...input }));
  }

  async delete(id: string): Promise<void> {
    if (!(await this.tags.delete(id))) throw new NotFoundError('Tag');
  }

  /** Retags every ticket of `sourceId` with `intoTagId`, then deletes `sourceId`. */
  async merge(sourceId: string, intoTagId: string): Promise<MergeTagResultDto> {
    if (sourceId === intoTagId) throw new InvalidFieldError('intoTagId', 'a tag cannot be merged into itself');
    const [source, target] = await Promise.all([this.tags.findById(sourceId), this.tags.findById(intoTagId)]);
    if (!source) throw new NotFoundError('Tag');
    if (!target) throw new InvalidFieldError('intoTagId', 'no tag with this id');
    const retaggedTickets = await this.outbox.transaction(async (manager, raise) => {
      const count = await this.tags.merge(sourceId, intoTagId, manager);
      raise({ name: 'tag.merged', payload: { fromTagId: sourceId, intoTagId } });
      return count;
    });
    return { retaggedTickets };
  }

  async getSettings(): Promise<TagSettingsDto> {
    return toSettingsDto(await this.settings.get());
  }

  /** Saved with a `settings.updated` event: open care boards follow the new thresholds without a reload. */
  async updateSettings(input: UpdateTagSettingsRequest): Promise<TagSettingsDto> {
    const saved = await this.outbox.transaction(async (manager, raise) => {
      const settings = await this.settings.update(input, manager);
      raise({ name: 'settings.updated', payload: { scope: 'tags' } });
      return settings;
    });
    return toSettingsDto(saved);
  }

  /**
   * Called by TicketsService.applyChanges once a change's tags are applied, inside its transaction: refuses a
   * move to solved or closed without a tag when the workspace requires one.
   */
  async checkStatusChange(ticketId: string, status: TicketStatus, manager: EntityManager): Promise<void> {
    if (!FINISHED_STATUSES.includes(status)) return;
    if (!(await this.settings.get(manager)).requireTagToSolve) return;
    if (!(await this.tags.ticketHasTags(ticketId, manager))) throw new InvalidFieldError('tags', 'this workspace requires at least one tag before a ticket is solved');
  }
}
