import { useState } from 'react';
import { SAVED_VIEW_PREFIX, type ViewCountDto } from '../../../../../contracts/views';
import { routeHref } from '../../../routes';
import { useDeleteSavedView, useViewCounts, type InboxView } from '../hooks/useViews';
import { SaveViewForm } from './SaveViewForm';

/** The saved view's own id, from the sidebar's `saved:<id>`. */
const savedViewId = (viewId: string) => viewId.slice(SAVED_VIEW_PREFIX.length);

const SECTION_TITLES: Record<InboxView['section'], string> = { inbox: 'Inbox', teams: 'My teams', saved: 'Saved views', report: 'From a report' };

function CountBadge({ count }: { count: ViewCountDto | undefined }) {
  if (!count) return null;
  return (
    <span className="view-count" data-testid="view-count">
      {count.capped ? `${count.count}+` : count.count}
    </span>
  );
}

export function ViewSidebar({ views, activeViewId }: { views: InboxView[]; activeViewId: string }) {
  const counts = useViewCounts().data?.counts ?? {};
  const deleteView = useDeleteSavedView();
  const [creating, setCreating] = useState(false);
  /** The saved view whose form is open in place of its link. */
  const [editing, setEditing] = useState<string | null>(null);
  const sections = (['report', 'inbox', 'teams', 'saved'] as const).filter((section) => section === 'saved' || views.some((view) => view.section === section));

  return (
    <nav className="inbox-sidebar" aria-label="Views">
      {sections.map((section) => (
        <section key={section} className="inbox-sidebar__section">
          <h2 className="inbox-sidebar__title">{SECTION_TITLES[section]}</h2>
          <ul className="inbox-sidebar__views">
            {views
              .filter((view) => view.section === section)
              .map((view) => (
                <li key={view.id} className="inbox-sidebar__item">
                  {editing === view.id ? (
                    <SaveViewForm view={{ id: savedViewId(view.id), name: view.label, filter: view.filter, shared: view.shared ?? false }} onDone={() => setEditing(null)} />
                  ) : (
                    <>
                      <a
                        className="inbox-sidebar__view"
                        href={routeHref({ page: 'inbox', view: view.id, ticketId: null })}
                        aria-current={view.id === activeViewId ? 'page' : undefined}
                        data-testid={`view-${view.id}`}
                        title={view.shared ? `${view.label} (shared)` : view.label}
                      >
                        <span className="inbox-sidebar__label">{view.label}</span>
                        <CountBadge count={counts[view.id]} />
                      </a>
                      {view.editable && (
                        <>
                          <button type="button" className="inbox-sidebar__edit" aria-label={`Edit view ${view.label}`} onClick={() => setEditing(view.id)} data-testid={`edit-${view.id}`}>
                            ✎
                          </button>
                          <button
                            type="button"
                            className="inbox-sidebar__delete"
                            aria-label={`Delete view ${view.label}`}
                            disabled={deleteView.isPending}
                            onClick={() => window.confirm(`Delete the view “${view.label}”?`) && deleteView.mutate(savedViewId(view.id))}
                          >
                            ×
                          </button>
                        </>
                      )}
                    </>
                  )}
                </li>
              ))}
          </ul>
          {section === 'saved' &&
            (creating ? (
              <SaveViewForm onDone={() => setCreating(false)} />
            ) : (
              <button type="button" className="button button--small inbox-sidebar__new" onClick={() => setCreating(true)} data-testid="new-view">
                + New view
              </button>
            ))}
        </section>
      ))}
    </nav>
  );
}
