import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateNoteRequest } from '../../../../../contracts/api';
import { createNote, createReply, type ReplyDraft } from '../api/tickets.api';
import { appendMessage } from '../api/ticketCache';

export function useAddNote(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note: CreateNoteRequest) => createNote(ticketId, note),
    onSuccess: (message) => appendMessage(queryClient, ticketId, message),
  });
}

export function useSendReply(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: ReplyDraft) => createReply(ticketId, draft),
    onSuccess: (message) => appendMessage(queryClient, ticketId, message),
  });
}
