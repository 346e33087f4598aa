import type { CreateMacroRequest, MacroDto, MacroPreviewDto, UpdateMacroRequest } from '../../../../../contracts/automation';
import { api } from '../../../api/client';

export const macroKeys = {
  all: ['macros'] as const,
  list: (query: string) => ['macros', 'list', query] as const,
  preview: (macroId: string, ticketId: string) => ['macros', 'preview', macroId, ticketId] as const,
};

const path = (id: string) => `/macros/${encodeURIComponent(id)}`;

export const fetchMacros = (query: string) => api.get<MacroDto[]>('/macros', { q: query });
export const createMacro = (macro: CreateMacroRequest) => api.post<MacroDto>('/macros', macro);
export const updateMacro = ({ id, changes }: { id: string; changes: UpdateMacroRequest }) => api.patch<MacroDto>(path(id), changes);
export const deleteMacro = (id: string) => api.delete<void>(path(id));
export const previewMacro = (macroId: string, ticketId: string) => api.post<MacroPreviewDto>(`${path(macroId)}/preview`, { ticketId });
