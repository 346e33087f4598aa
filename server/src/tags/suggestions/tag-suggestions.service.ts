import { Injectable, Logger } from '@nestjs/common';
import type { CreateKeywordRuleRequest, KeywordRuleDto, TagModelStatusDto, TagSuggestionDto, UpdateKeywordRuleRequest } from '../../../../contracts/care';
import type { AuthUser } from '../../auth/auth.decorators';
import { Clock } from '../../common/clock';
import { NotFoundError } from '../../common/errors';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketsService } from '../../tickets/tickets.service';
import { TagSuggester, type TagModel } from '../suggest/tag-suggester';
import { TagSettingsRepository } from '../tag-settings.repository';
import { TagRepository } from '../tag.repository';
import { suggestionText } from '../ticket-text';
import { TicketTextRepository } from '../ticket-text.repository';
import type { KeywordRule } from './keyword-rule.entity';
import { matchKeywordRules } from './keyword-match';
import { TagSuggestionsRepository } from './tag-suggestions.repository';

/** Bounds training time and memory on large teams: the newest tickets say most about today's tags. */
const MAX_TRAINING_TICKETS = 20_000;
/** A care owner's rule is as sure as a suggestion gets. */
const RULE_CONFIDENCE = 1;

const toRuleDto = (rule: KeywordRule): KeywordRuleDto => ({ id: rule.id, tagId: rule.tagId, tag: rule.tag.name, keywords: rule.keywords, createdAt: rule.createdAt.toISOString() });

/**
 * Tag suggestions for arriving tickets, from the team's own model (TagSuggester, trained in the background on its
 * tagging history and agents' rejections) and from care owners' keyword rules.
 */
@Injectable()
export class TagSuggestionsService {
  private readonly logger = new Logger('TagSuggestions');
  private readonly suggester = new TagSuggester();
  /** The model in use on this instance, reloaded when a newer one is stored. */
  private cached: { id: string; model: TagModel } | null = null;

  constructor(
    private readonly suggestions: TagSuggestionsRepository,
    private readonly settings: TagSettingsRepository,
    private readonly texts: TicketTextRepository,
    private readonly tags: TagRepository,
    private readonly ticketRecords: TicketRepository,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  /** Computes and stores these tickets' suggestions, leaving out tags each already has. */
  async suggestFor(ticketIds: string[]): Promise<void> {
    const texts = await this.texts.textsOf(ticketIds);
    if (texts.length === 0) return;
    const [model, rules, current, tags] = await Promise.all([this.currentModel(), this.suggestions.listRules(), this.ticketRecords.tagNames(ticketIds), this.tags.findAll()]);
    const known = new Map(tags.map((tag) => [tag.id, tag.name]));
    const rows = texts.flatMap((text) => {
      const fullText = suggestionText(text);
      const confidences = new Map<string, { confidence: number; source: 'model' | 'rule' }>();
      // The model is trained on tag ids, so a renamed tag keeps its suggestions; a merged-away id no longer exists.
      if (model) for (const suggestion of this.suggester.suggest(model, fullText)) confidences.set(suggestion.tag, { confidence: suggestion.confidence, source: 'model' });
      for (const tagId of matchKeywordRules(rules, fullText)) confidences.set(tagId, { confidence: RULE_CONFIDENCE, source: 'rule' });
      const existing = new Set(current.get(text.ticketId) ?? []);
      return [...confidences]
        .filter(([tagId]) => known.has(tagId) && !existing.has(known.get(tagId) as string))
        .map(([tagId, { confidence, source }]) => ({ ticketId: text.ticketId, tagId, confidence, source }));
    });
    await this.suggestions.insertSuggestions(rows, this.clock.now());
  }

  async list(ticketId: string, viewer: AuthUser): Promise<TagSuggestionDto[]> {
    await this.tickets.requireVisible(ticketId, viewer);
    return this.suggestions.forTicket(ticketId);
  }

  /** Adds the suggested tag to the ticket (recorded on its timeline as the agent's change) and marks it accepted. */
  async accept(ticketId: string, tagId: string, viewer: AuthUser): Promise<TagSuggestionDto[]> {
    const suggestion = await this.requireSuggestion(ticketId, tagId, viewer);
    const current = (await this.ticketRecords.tagNames([ticketId])).get(ticketId) ?? [];
    await this.tickets.update(ticketId, { tags: [...current, suggestion.tag] }, { type: 'user', id: viewer.id }, viewer);
    await this.suggestions.decide(ticketId, tagId, 'accepted', viewer.id, this.clock.now());
    return this.suggestions.forTicket(ticketId);
  }

  /** Dismisses a suggestion; the next training learns the tag as wrong for this ticket. */
  async reject(ticketId: string, tagId: string, viewer: AuthUser): Promise<TagSuggestionDto[]> {
    await this.requireSuggestion(ticketId, tagId, viewer);
    await this.suggestions.decide(ticketId, tagId, 'rejected', viewer.id, this.clock.now());
    return this.suggestions.forTicket(ticketId);
  }

  /** Trains a model on the team's newest tagged tickets and stores it; returns false when there is nothing to learn. */
  async retrain(): Promise<boolean> {
    const examples = await this.texts.trainingExamples(MAX_TRAINING_TICKETS);
    if (!examples.some((example) => example.tags.length > 0)) return false;
    const startedAt = this.clock.now();
    const model = this.suggester.train(examples);
    await this.suggestions.saveModel(model, examples.length, startedAt);
    this.logger.log(`trained on ${examples.length} tickets, ${model.tags.length} tags`);
    return true;
  }

  /** Whether enough tickets were tagged since the last training to train again now. */
  async retrainDue(): Promise<boolean> {
    const [info, settings] = await Promise.all([this.suggestions.latestModelInfo(), this.settings.get()]);
    return (await this.suggestions.taggingsSince(info?.trainedAt ?? null)) >= settings.retrainAfterTaggings;
  }

  async modelStatus(): Promise<TagModelStatusDto> {
    const [info, model] = await Promise.all([this.suggestions.latestModelInfo(), this.currentModel()]);
    return {
      trainedAt: info?.trainedAt.toISOString() ?? null,
      examples: info?.examples ?? 0,
      tags: model?.tags.length ?? 0,
      taggingsSinceTraining: await this.suggestions.taggingsSince(info?.trainedAt ?? null),
      quality: model?.quality ?? null,
    };
  }

  async listRules(): Promise<KeywordRuleDto[]> {
    return (await this.suggestions.listRules()).map(toRuleDto);
  }

  async createRule(input: CreateKeywordRuleRequest): Promise<KeywordRuleDto> {
    const [tag] = await this.tags.ensure([input.tag]);
    return this.ruleDto(await this.suggestions.saveRule({ tagId: tag.id, keywords: [...new Set(input.keywords)] }));
  }

  async updateRule(id: string, input: UpdateKeywordRuleRequest): Promise<KeywordRuleDto> {
    const rule = await this.suggestions.findRule(id);
    if (!rule) throw new NotFoundError('Keyword rule');
    const tagId = input.tag ? (await this.tags.ensure([input.tag]))[0].id : rule.tagId;
    const keywords = input.keywords ? [...new Set(input.keywords)] : rule.keywords;
    return this.ruleDto(await this.suggestions.saveRule({ id, tagId, keywords }));
  }

  async deleteRule(id: string): Promise<void> {
    if (!(await this.suggestions.deleteRule(id))) throw new NotFoundError('Keyword rule');
  }

  private async ruleDto(id: string): Promise<KeywordRuleDto> {
    const rule = await this.suggestions.findRule(id);
    if (!rule) throw new NotFoundError('Keyword rule');
    return toRuleDto(rule);
  }

  private async requireSuggestion(ticketId: string, tagId: string, viewer: AuthUser): Promise<TagSuggestionDto> {
    const suggestion = (await this.list(ticketId, viewer)).find((candidate) => candidate.tagId === tagId);
    if (!suggestion) throw new NotFoundError('Suggestion');
    return suggestion;
  }

  private async currentModel(): Promise<TagModel | null> {
    const info = await this.suggestions.latestModelInfo();
    if (!info) return null;
    if (this.cached?.id !== info.id) {
      const model = await this.suggestions.loadModel(info.id);
      this.cached = model ? { id: info.id, model } : null;
    }
    return this.cached?.model ?? null;
  }
}
