export { default as Segment } from './Segment.astro';
export { default as SegmentNotice } from './SegmentNotice.astro';
export { default as SegmentPage } from './SegmentPage.astro';
export type { SegmentPageProps, SegmentProps } from './props.ts';
export type { SegmentNoticeProps } from './notice.ts';
