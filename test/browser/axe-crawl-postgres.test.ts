import { TEST_TARGETS } from '../helpers/db.ts';
import { describeAxeCrawl } from './axe-crawl.ts';

// Without TEST_DATABASE_URL the test run says once that PostgreSQL was not tested (scripts/run-tests.js).
if (TEST_TARGETS.includes('postgres')) describeAxeCrawl('postgres');
