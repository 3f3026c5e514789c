import { msg } from '../i18n/index.js';

/**
 * Advice more than one check gives, in one place so the caller hears the
 * same words whichever check said it (`card`, `netid-token`).
 */
export const INSERT_CARD = msg(
  'Skjut in SITHS-kortet helt i kortläsaren, med chippet först (på de flesta läsare med chippet uppåt). Vänta några sekunder och kör igen.',
  'Push the SITHS card all the way into the card reader, chip first (on most readers with the chip facing up). Wait a few seconds and run again.',
);
