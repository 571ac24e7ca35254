/**
 * Klaviyo's API origin: the default base URL, the scope recorded fixtures are saved under (so they
 * replay against any base URL), and the origin of every `links` URL the API and the stand-in return.
 */
export const API_ORIGIN = "https://a.klaviyo.com";
