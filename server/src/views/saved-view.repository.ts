import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SavedView } from './saved-view.entity';

@Injectable()
export class SavedViewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(SavedView);
  }

  /** The user's own views and everyone's shared ones, by name. */
  visibleTo(userId: string): Promise<SavedView[]> {
    return this.repo.find({ where: [{ ownerId: userId }, { shared: true }], order: { name: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<SavedView | null> {
    return this.repo.findOneBy({ id });
  }

  async insert(fields: Pick<SavedView, 'name' | 'filter' | 'shared' | 'ownerId'>): Promise<SavedView> {
    const view = this.repo.create(fields);
    await this.repo.insert(view);
    return view;
  }

  async update(id: string, changes: Partial<Pick<SavedView, 'name' | 'filter' | 'shared'>>): Promise<void> {
    await this.repo.update({ id }, changes);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
