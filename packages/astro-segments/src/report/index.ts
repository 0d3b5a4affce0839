export { ruleText } from '../rule-text.ts';
export { buildReport, REPORT_VERSION, type Report, type ReportPage, type ReportValue, type ReportVariant } from './build-report.ts';
export { renderReportHtml } from './render-html.ts';
export { writeGpc } from './write-gpc.ts';
export { REPORT_DIR, writeReport, type ReportLocation } from './write-report.ts';
