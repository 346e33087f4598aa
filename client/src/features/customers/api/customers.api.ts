import type { CustomerDto, UpdateCustomerRequest } from '../../../../../contracts/api';
import type { CsvImportMode, CsvImportReportDto, Customer360Dto, SubscriberPageDto, SubscriberPlanDto, WebhookSecretDto, WebhookSecretStatusDto } from '../../../../../contracts/customers';
import { api, apiRequest } from '../../../api/client';

export const customerKeys = {
  all: ['customers'] as const,
  subscribers: (query: Record<string, string>) => ['customers', 'subscribers', query] as const,
  plans: ['customers', 'plans'] as const,
  overview: (id: string) => ['customers', 'overview', id] as const,
  webhookSecret: ['customers', 'webhook-secret'] as const,
};

/** The table's URL parameters are its API query (q, status, plan, cycleMin, cycleMax, sort, order, after, before). */
export const fetchSubscribers = (query: Record<string, string>) => api.get<SubscriberPageDto>('/subscribers', query);
export const fetchSubscriberPlans = () => api.get<SubscriberPlanDto[]>('/subscribers/plans');
export const updateCustomer = (id: string, changes: UpdateCustomerRequest) => api.patch<CustomerDto>(`/customers/${encodeURIComponent(id)}`, changes);
export const fetchCustomerOverview = (id: string) => api.get<Customer360Dto>(`/customers/${encodeURIComponent(id)}/overview`);

export function importCustomers(file: File, mode: CsvImportMode): Promise<CsvImportReportDto> {
  const body = new FormData();
  body.append('file', file);
  return apiRequest<CsvImportReportDto>('POST', '/customers/import', { query: { mode }, body });
}

export const fetchWebhookSecretStatus = () => api.get<WebhookSecretStatusDto>('/subscriptions/webhook-secret');
export const rotateWebhookSecret = () => api.post<WebhookSecretDto>('/subscriptions/webhook-secret');
