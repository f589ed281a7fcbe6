#!/usr/bin/env node
import { startServer } from '../dist/server.js';

startServer();
