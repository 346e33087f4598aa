import type { SetupChecklistDto } from '../../../../../contracts/setup';
import { api } from '../../../api/client';

export const setupKeys = { checklist: ['setup'] as const };

export const fetchSetupChecklist = () => api.get<SetupChecklistDto>('/setup');
