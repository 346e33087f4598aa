import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { TagSettings } from './tag-settings.entity';

const SETTINGS_ROW = 1;

@Injectable()
export class TagSettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The migration inserts the row, so it is always there. */
  async get(manager: EntityManager = this.dataSource.manager): Promise<TagSettings> {
    return manager.getRepository(TagSettings).findOneByOrFail({ id: SETTINGS_ROW });
  }

  async update(changes: Partial<TagSettings>, manager: EntityManager = this.dataSource.manager): Promise<TagSettings> {
    await manager.getRepository(TagSettings).update({ id: SETTINGS_ROW }, changes);
    return this.get(manager);
  }
}
