// The tests' PostgreSQL server lives in lab/ (the one-machine cluster, scripts/cluster.ts, starts it too).
export * from '../../lab/postgres-server.js';
