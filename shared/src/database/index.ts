export * from './data-source.factory';
export * from './migrations.service';
export * from './database.module';
