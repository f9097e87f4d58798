// The charts moved to the kernel (src/kernel/web/charts.ts) when the support module began to draw with them.
export { barChart, lineChart, type Bar, type Point } from '../../kernel/web/charts.ts';
