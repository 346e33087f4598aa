import { Injectable } from '@nestjs/common';
import { VIEW_SHARER_ROLES, type CreateSavedViewFields, type SavedViewDto, type UpdateSavedViewFields } from '../../../contracts/views';
import type { AuthUser } from '../auth/auth.decorators';
import { ForbiddenError, NotFoundError } from '../common/errors';
import type { SavedView } from './saved-view.entity';
import { SavedViewRepository } from './saved-view.repository';

function toSavedViewDto(view: SavedView): SavedViewDto {
  return { id: view.id, name: view.name, filter: view.filter, shared: view.shared, ownerId: view.ownerId, createdAt: view.createdAt.toISOString(), updatedAt: view.updatedAt.toISOString() };
}

function requireSharer(viewer: AuthUser): void {
  if (!VIEW_SHARER_ROLES.includes(viewer.role)) throw new ForbiddenError('Only leads and admins can share a view');
}

@Injectable()
export class ViewsService {
  constructor(private readonly views: SavedViewRepository) {}

  /** The viewer's own views and everyone's shared ones. */
  async list(viewer: AuthUser): Promise<SavedViewDto[]> {
    return (await this.views.visibleTo(viewer.id)).map(toSavedViewDto);
  }

  async create(fields: CreateSavedViewFields, viewer: AuthUser): Promise<SavedViewDto> {
    if (fields.shared) requireSharer(viewer);
    return toSavedViewDto(await this.views.insert({ ...fields, ownerId: viewer.id }));
  }

  async update(id: string, changes: UpdateSavedViewFields, viewer: AuthUser): Promise<SavedViewDto> {
    if (changes.shared) requireSharer(viewer);
    await this.requireEditable(id, viewer);
    await this.views.update(id, changes);
    return toSavedViewDto(await this.requireEditable(id, viewer));
  }

  async delete(id: string, viewer: AuthUser): Promise<void> {
    await this.requireEditable(id, viewer);
    await this.views.delete(id);
  }

  /** Only the owner (or an admin) changes a view; someone else's personal view does not exist for the viewer. */
  private async requireEditable(id: string, viewer: AuthUser): Promise<SavedView> {
    const view = await this.views.findById(id);
    const isOwner = view?.ownerId === viewer.id || viewer.role === 'admin';
    if (!view || (!view.shared && !isOwner)) throw new NotFoundError('View');
    if (!isOwner) throw new ForbiddenError('Only its owner can change a shared view');
    return view;
  }
}
