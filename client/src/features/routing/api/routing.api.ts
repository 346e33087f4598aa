import type { CreateRuleRequest, DryRunRequest, DryRunResultDto, RuleDto, UpdateRuleRequest } from '../../../../../contracts/automation';
import { api, apiRequest } from '../../../api/client';

export const routingKeys = { rules: ['routing', 'rules'] as const };

const path = (id: string) => `/routing/rules/${encodeURIComponent(id)}`;

export const fetchRules = () => api.get<RuleDto[]>('/routing/rules');
export const createRule = (rule: CreateRuleRequest) => api.post<RuleDto>('/routing/rules', rule);
export const updateRule = ({ id, changes }: { id: string; changes: UpdateRuleRequest }) => api.patch<RuleDto>(path(id), changes);
export const deleteRule = (id: string) => api.delete<void>(path(id));
export const reorderRules = (ruleIds: string[]) => apiRequest<RuleDto[]>('PUT', '/routing/rules/order', { body: { ruleIds } });
export const dryRunRule = (rule: DryRunRequest['rule']) => api.post<DryRunResultDto>('/routing/rules/dry-run', { rule, limit: 200 });

/** Mailboxes for the mailbox condition; only admins may list them, so for leads the list is empty. */
