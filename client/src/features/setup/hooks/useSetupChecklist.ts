import { useQuery } from '@tanstack/react-query';
import type { UserDto } from '../../../../../contracts/api';
import { fetchSetupChecklist, setupKeys } from '../api/setup.api';

/**
 * The workspace's setup progress (admins only). Read again whenever a page showing it opens or the window
 * regains focus, so a step done on its own page is ticked when the person comes back.
 */
export function useSetupChecklist(user: UserDto) {
  const query = useQuery({ queryKey: setupKeys.checklist, queryFn: fetchSetupChecklist, enabled: user.role === 'admin', staleTime: 0 });
  const steps = query.data?.steps ?? [];
  const done = steps.filter((step) => step.done).length;
  return { ...query, steps, done, complete: query.isSuccess && done === steps.length };
}
