import { describeAxeCrawl } from './axe-crawl.ts';

describeAxeCrawl('pglite');
