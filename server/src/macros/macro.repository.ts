import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, type EntityManager } from 'typeorm';
import { Macro } from './macro.entity';

/** Whose macros a list shows: shared with everyone, with the viewer's teams (every team's for leads), and the viewer's own. */
export interface MacroViewer {
  id: string;
  /** null means every team. */
  teamIds: string[] | null;
}

/** The only code that queries macros. */
@Injectable()
export class MacroRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private macros(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Macro);
  }

  /** Visible macros, most used first, optionally those whose name contains `name`. */
  visible(viewer: MacroViewer, name?: string): Promise<Macro[]> {
    const query = this.macros()
      .createQueryBuilder('macro')
      .where(
        new Brackets((visible) => {
          visible.where('macro.ownerId = :viewerId', { viewerId: viewer.id }).orWhere('macro.ownerId IS NULL AND macro.teamId IS NULL');
          if (viewer.teamIds === null) visible.orWhere('macro.ownerId IS NULL AND macro.teamId IS NOT NULL');
          else if (viewer.teamIds.length) visible.orWhere('macro.ownerId IS NULL AND macro.teamId IN (:...teamIds)', { teamIds: viewer.teamIds });
        }),
      )
      .orderBy('macro.usageCount', 'DESC')
      .addOrderBy('macro.name', 'ASC')
      .addOrderBy('macro.id', 'ASC');
    if (name) query.andWhere('macro.name ILIKE :pattern', { pattern: `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    return query.getMany();
  }

  findById(id: string, manager?: EntityManager): Promise<Macro | null> {
    return this.macros(manager).findOneBy({ id });
  }

  save(macro: Partial<Macro>): Promise<Macro> {
    return this.macros().save(macro);
  }

  async delete(id: string): Promise<void> {
    await this.macros().delete({ id });
  }

  /** Counts a use without touching updated_at, which says when the macro itself was last edited. */
  async recordUse(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE macros SET usage_count = usage_count + 1, last_used_at = $2 WHERE id = $1', [id, at]);
  }
}
