import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UpdateCustomerRequest } from '../../../../../contracts/api';
import type { CsvImportMode } from '../../../../../contracts/customers';
import { customerKeys, fetchCustomerOverview, fetchSubscriberPlans, fetchSubscribers, fetchWebhookSecretStatus, importCustomers, rotateWebhookSecret, updateCustomer } from '../api/customers.api';

/** A page of the subscribers table; the previous page stays on screen while the next one loads. */
export function useSubscribers(query: Record<string, string>) {
  return useQuery({ queryKey: customerKeys.subscribers(query), queryFn: () => fetchSubscribers(query), placeholderData: keepPreviousData });
}

export function useSubscriberPlans() {
  return useQuery({ queryKey: customerKeys.plans, queryFn: fetchSubscriberPlans, staleTime: 60_000 });
}

export function useUpdateCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (changes: UpdateCustomerRequest) => updateCustomer(id, changes), onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.all }) });
}

export function useCustomerOverview(id: string) {
  return useQuery({ queryKey: customerKeys.overview(id), queryFn: () => fetchCustomerOverview(id) });
}

export function useWebhookSecretStatus() {
  return useQuery({ queryKey: customerKeys.webhookSecret, queryFn: fetchWebhookSecretStatus });
}

export function useRotateWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: rotateWebhookSecret, onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.webhookSecret }) });
}

export function useCustomerImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: CsvImportMode }) => importCustomers(file, mode),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.all }),
  });
}
