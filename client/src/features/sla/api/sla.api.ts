import type {
  CalendarDto,
  CreateCalendarRequest,
  CreatePolicyRequest,
  SlaPolicyDto,
  TicketSlaDto,
  UpdateCalendarRequest,
  UpdatePolicyRequest,
} from '../../../../../contracts/sla';
import { api, apiRequest } from '../../../api/client';

export const slaKeys = {
  all: ['sla'] as const,
  policies: ['sla', 'policies'] as const,
  calendars: ['sla', 'calendars'] as const,
  ticket: (ticketId: string) => ['sla', 'ticket', ticketId] as const,
};

export const fetchPolicies = () => api.get<SlaPolicyDto[]>('/sla/policies');
export const createPolicy = (policy: CreatePolicyRequest) => api.post<SlaPolicyDto>('/sla/policies', policy);
export const updatePolicy = (id: string, changes: UpdatePolicyRequest) => api.patch<SlaPolicyDto>(`/sla/policies/${encodeURIComponent(id)}`, changes);
export const deletePolicy = (id: string) => apiRequest<void>('DELETE', `/sla/policies/${encodeURIComponent(id)}`);
export const reorderPolicies = (policyIds: string[]) => apiRequest<SlaPolicyDto[]>('PUT', '/sla/policies/order', { body: { policyIds } });

export const fetchCalendars = () => api.get<CalendarDto[]>('/sla/calendars');
export const createCalendar = (calendar: CreateCalendarRequest) => api.post<CalendarDto>('/sla/calendars', calendar);
export const updateCalendar = (id: string, changes: UpdateCalendarRequest) => api.patch<CalendarDto>(`/sla/calendars/${encodeURIComponent(id)}`, changes);
export const deleteCalendar = (id: string) => apiRequest<void>('DELETE', `/sla/calendars/${encodeURIComponent(id)}`);

export const fetchTicketSla = (ticketId: string) => api.get<TicketSlaDto>(`/tickets/${encodeURIComponent(ticketId)}/sla`);
