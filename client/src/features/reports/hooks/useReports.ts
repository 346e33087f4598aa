import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { socket } from '../../../socket';
import { fetchReport, fetchReportSettings, reportKeys, updateReportSettings, voidAnswer, type ReportParams, type ReportResponses } from '../api/reports.api';

/** One report with the page's period and filters; the previous answer stays on screen while a new one loads. */
export function useReport<K extends keyof ReportResponses>(name: K, params: ReportParams) {
  return useQuery({ queryKey: reportKeys.report(name, params), queryFn: () => fetchReport(name, params), placeholderData: keepPreviousData });
}

export function useReportSettings() {
  return useQuery({ queryKey: reportKeys.settings, queryFn: fetchReportSettings, staleTime: 5 * 60_000 });
}

/** Saving the settings refetches every report: a new time zone cuts the periods differently. */
export function useUpdateReportSettings() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: updateReportSettings, onSuccess: () => queryClient.invalidateQueries({ queryKey: reportKeys.all }) });
}

export function useVoidAnswer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => voidAnswer(id, reason),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

/** Refetches the open reports when the server says their figures changed (a reply, a solve, a survey answer). */
export function useReportsLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    let timer: number | undefined;
    // Many changes arrive together (an import, a bulk edit): refetch once per second at most.
    const onUpdated = () => {
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: reportKeys.all });
      }, 1_000);
    };
    socket.on('reports.updated', onUpdated);
    return () => {
      socket.off('reports.updated', onUpdated);
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [queryClient]);
}
