import { useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime } from '../../../lib/format';
import { useMacros } from '../hooks/useMacros';
import { MacroForm } from './MacroForm';
import '../automation.css';

/** Leads' macro library: every macro they can see, most used first, and an editor. */
export function MacrosPage({ user }: { user: UserDto }) {
  const [query, setQuery] = useState('');
  const macros = useMacros(query);
  /** The id of the item being edited, or 'new'. */
  const [editing, setEditing] = useState<string | null>(null);
  const managesShared = user.role === 'lead' || user.role === 'admin';

  return (
    <div className="automation" data-testid="macros-page">
      <h1>Macros</h1>
      <p className="muted">A reply template plus actions, applied together from the composer.</p>
      <div className="automation__inline">
        <input type="search" aria-label="Search macros" placeholder="Search by name…" value={query} onChange={(event) => setQuery(event.target.value)} />
        <button type="button" className="button button--primary" onClick={() => setEditing('new')} data-testid="macro-new">
          New macro
        </button>
      </div>
      {editing === 'new' && <MacroForm macro={null} onDone={() => setEditing(null)} />}
      {macros.isError && <ErrorNotice error={macros.error} onRetry={() => void macros.refetch()} />}
      <ul className="automation__items">
        {(macros.data ?? []).map((macro) =>
          editing === macro.id ? (
            <li key={macro.id}>
              <MacroForm macro={macro} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={macro.id} className="automation__item" data-testid="macro-item">
              <strong>{macro.name}</strong>
              <span className="muted">
                {' '}
                · {macro.scope === 'personal' ? 'personal' : macro.scope === 'team' ? 'team' : 'everyone'} · used {macro.usageCount}×{macro.lastUsedAt && `, last ${formatDateTime(macro.lastUsedAt)}`}
              </span>
              {(managesShared || macro.ownerId === user.id) && (
                <button type="button" className="button button--small" onClick={() => setEditing(macro.id)}>
                  Edit
                </button>
              )}
            </li>
          ),
        )}
      </ul>
      {macros.data?.length === 0 && <p className="muted">No macros yet.</p>}
    </div>
  );
}
