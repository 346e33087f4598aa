import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CsvImportMode } from '../../../../../contracts/customers';
import { customerKeys, fetchCustomerOverview, fetchWebhookSecretStatus, importCustomers, rotateWebhookSecret, searchCustomers } from '../api/customers.api';

export function useCustomerSearch(query: string) {
  return useQuery({ queryKey: customerKeys.search(query), queryFn: () => searchCustomers(query) });
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
