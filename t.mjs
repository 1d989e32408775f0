import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
const db = await PGlite.create({ dataDir: 'memory://', extensions: { vector } });
const srv = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
await srv.start();
const addr = srv.server?.address?.() ?? srv;
console.log('addr', typeof srv.getServerConn === 'function' ? srv.getServerConn() : Object.keys(srv));
