/** Real test peers for integration tests: process helpers and a private sshd. */
export * from './proc';
export * from './sshd';
