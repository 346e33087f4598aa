import { useState } from 'react';
import { MACRO_SCOPES, TEMPLATE_VARIABLES, type CreateMacroRequest, type MacroDto, type MacroScope, type TicketAction } from '../../../../../contracts/automation';
import { ApiError, errorMessage } from '../../../api/client';
import { useTeams } from '../../workspace/hooks/useWorkspace';
import { createMacro, deleteMacro, updateMacro } from '../api/macros.api';
import { useMacroChange } from '../hooks/useMacros';
import { ActionsEditor, TICKET_ACTION_TYPES } from './ActionsEditor';

const SCOPE_LABELS: Record<MacroScope, string> = { everyone: 'Everyone', team: 'One team', personal: 'Only me' };

type Draft = Required<CreateMacroRequest> & { actions: TicketAction[] };

/** Creates or edits a macro; a template that does not parse comes back from the server with its line. */
export function MacroForm({ macro, onDone }: { macro: MacroDto | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => ({
    name: macro?.name ?? '',
    body: macro?.body ?? '',
    actions: macro?.actions ?? [],
    scope: macro?.scope ?? 'everyone',
    teamId: macro?.teamId ?? null,
  }));
  const teams = useTeams().data ?? [];
  const save = useMacroChange((value: Draft) => (macro ? updateMacro({ id: macro.id, changes: value }) : createMacro(value)));
  const remove = useMacroChange(deleteMacro);
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));
  const bodyError = save.error instanceof ApiError ? save.error.fieldMessage('body') : undefined;

  return (
    <form
      className="automation__form"
      data-testid="macro-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft, { onSuccess: onDone });
      }}
    >
      <label className="field">
        <span className="field__label">Name</span>
        <input value={draft.name} onChange={(event) => set({ name: event.target.value })} required data-testid="macro-name" />
      </label>
      <div className="automation__inline">
        <label className="field">
          <span className="field__label">Shared with</span>
          <select value={draft.scope} onChange={(event) => set({ scope: event.target.value as MacroScope })} data-testid="macro-scope">
            {MACRO_SCOPES.map((scope) => (
              <option key={scope} value={scope}>
                {SCOPE_LABELS[scope]}
              </option>
            ))}
          </select>
        </label>
        {draft.scope === 'team' && (
          <label className="field">
            <span className="field__label">Team</span>
            <select value={draft.teamId ?? ''} onChange={(event) => set({ teamId: event.target.value || null })} required>
              <option value="">Choose a team…</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <label className="field">
        <span className="field__label">Reply template</span>
        <textarea rows={8} value={draft.body} onChange={(event) => set({ body: event.target.value })} aria-invalid={bodyError ? true : undefined} data-testid="macro-body" />
        {bodyError && <span className="field__error">{bodyError}</span>}
        <span className="muted automation__help">Variables: {TEMPLATE_VARIABLES.map((name) => `{{ ${name} }}`).join(' ')}</span>
      </label>
      <ActionsEditor actions={draft.actions} types={TICKET_ACTION_TYPES} onChange={(actions) => set({ actions })} />
      {save.isError && !bodyError && <p className="form-error">{errorMessage(save.error)}</p>}
      <div className="automation__inline">
        <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="macro-save">
          {save.isPending ? 'Saving…' : 'Save macro'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        {macro && (
          <button type="button" className="button button--danger" disabled={remove.isPending} onClick={() => remove.mutate(macro.id, { onSuccess: onDone })}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}
