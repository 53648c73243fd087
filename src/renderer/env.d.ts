/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** True only in builds for the e2e suite and the benches (PANELDECK_TEST_HOOKS=1). */
  readonly PANELDECK_TEST_HOOKS: boolean;
}
