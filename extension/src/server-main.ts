// Entry of the bundled server (dist/server.js) that the extension starts with `--stdio`.
import { startServer } from '@aegis/language-server';

startServer();
