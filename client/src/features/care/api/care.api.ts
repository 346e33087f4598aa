import type {
  CreateCommentRequest,
  CreateInitiativeRequest,
  ImpactDto,
  InitiativeCommentDto,
  InitiativeDto,
  InitiativeTicketPageDto,
  MoveInitiativeRequest,
  SignalsDto,
  UpdateInitiativeRequest,
} from '../../../../../contracts/care';
import { api } from '../../../api/client';

export const careKeys = {
  all: ['care'] as const,
  board: ['care', 'board'] as const,
  signals: ['care', 'signals'] as const,
  initiative: (id: string) => ['care', 'initiative', id] as const,
  tickets: (id: string) => ['care', 'initiative', id, 'tickets'] as const,
  comments: (id: string) => ['care', 'initiative', id, 'comments'] as const,
  impact: (id: string) => ['care', 'initiative', id, 'impact'] as const,
};

const initiativePath = (id: string) => `/care/initiatives/${encodeURIComponent(id)}`;

export const fetchBoard = () => api.get<InitiativeDto[]>('/care/initiatives');
export const fetchSignals = () => api.get<SignalsDto>('/signals', { limit: 30 });
export const fetchInitiative = (id: string) => api.get<InitiativeDto>(initiativePath(id));
export const createInitiative = (input: CreateInitiativeRequest) => api.post<InitiativeDto>('/care/initiatives', input);
export const updateInitiative = (id: string, changes: UpdateInitiativeRequest) => api.patch<InitiativeDto>(initiativePath(id), changes);
export const moveInitiative = (id: string, move: MoveInitiativeRequest) => api.post<InitiativeDto>(`${initiativePath(id)}/move`, move);
export const fetchInitiativeTickets = (id: string) => api.get<InitiativeTicketPageDto>(`${initiativePath(id)}/tickets`);
export const fetchComments = (id: string) => api.get<InitiativeCommentDto[]>(`${initiativePath(id)}/comments`);
export const addComment = (id: string, comment: CreateCommentRequest) => api.post<InitiativeCommentDto>(`${initiativePath(id)}/comments`, comment);
export const fetchImpact = (id: string) => api.get<ImpactDto>(`${initiativePath(id)}/impact`);
