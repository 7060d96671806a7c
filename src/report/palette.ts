/**
 * Okabe-Ito colours (Okabe & Ito 2008, "Color Universal Design"): distinguishable with every
 * common colour-vision deficiency. Black is kept for marks that are not a category (the truth,
 * reference lines).
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

/** Sequential shades for ordered categories (adverse-event grades 1-5): light to dark, one hue family. */
export const GRADE_COLOURS = ['#9ecae1', '#4292c6', '#E69F00', '#D55E00', '#000000'] as const;

/** The colour of a true effect, reference lines and other marks that are not a category. */
export const TRUTH_COLOUR = '#000000';
