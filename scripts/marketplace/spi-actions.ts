/**
 * The actions of the Marketplace SPI ([V marketplace-spi.md section 4]): what the sandbox's Marketplace
 * sends and the hook answers, named once for both sides of the wire.
 */
export const SPI_ACTIONS = [
  'createInstance',
  'renewInstance',
  'upgradeInstance',
  'expiredInstance',
  'releaseInstance',
  'verify',
] as const;
export type SpiAction = (typeof SPI_ACTIONS)[number];
