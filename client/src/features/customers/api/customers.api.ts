import type { CustomerDto } from '../../../../../contracts/api';
import type { CsvImportMode, CsvImportReportDto, Customer360Dto, WebhookSecretDto, WebhookSecretStatusDto } from '../../../../../contracts/customers';
import { api, apiRequest } from '../../../api/client';

export const customerKeys = {
  all: ['customers'] as const,
  search: (query: string) => ['customers', 'search', query] as const,
  overview: (id: string) => ['customers', 'overview', id] as const,
  webhookSecret: ['customers', 'webhook-secret'] as const,
};

export const searchCustomers = (query: string) => api.get<CustomerDto[]>('/customers', { q: query, limit: 50 });
export const fetchCustomerOverview = (id: string) => api.get<Customer360Dto>(`/customers/${encodeURIComponent(id)}/overview`);

export function importCustomers(file: File, mode: CsvImportMode): Promise<CsvImportReportDto> {
  const body = new FormData();
  body.append('file', file);
  return apiRequest<CsvImportReportDto>('POST', '/customers/import', { query: { mode }, body });
}

export const fetchWebhookSecretStatus = () => api.get<WebhookSecretStatusDto>('/subscriptions/webhook-secret');
export const rotateWebhookSecret = () => api.post<WebhookSecretDto>('/subscriptions/webhook-secret');
