import { createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher } from '@apache-annotator/dom';
window.apacheAnnotator = { createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher };
