import pkg from '../../../package.json' with { type: 'json' };

/** The product name shown to users. */
export const PRODUCT_NAME = 'PanelDeck';
/** The version from package.json (bundled at build time, read directly under tsx). */
export const VERSION: string = pkg.version;
