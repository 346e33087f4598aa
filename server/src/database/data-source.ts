/** The data source for the TypeORM CLI (`npm run migration:generate -- migrations/Name`). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/careloop_dev'));
