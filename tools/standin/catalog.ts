/**
 * Static ingredients of the demo account: names, places, products and integrations. Kept apart from
 * the generator so the generator reads as the story of the account rather than as a word list.
 */

/**
 * Names and streets come from the scrubber's demo lists, so recording the demo account keeps them
 * as they are (anything else would be replaced by a stable fake on record).
 */
export {
  DEMO_FIRST_NAMES as FIRST_NAMES,
  DEMO_LAST_NAMES as LAST_NAMES,
  DEMO_STREETS as STREETS,
} from "../../src/fixtures/scrub";

export interface Place {
  city: string;
  region: string;
  country: string;
  zip: string;
  timezone: string;
  latitude: number;
  longitude: number;
  /** US area code used for the fictional 555-01xx phone numbers of people living there. */
  areaCode: string;
}

/** A place in the United States. */
function us(city: string, region: string, zip: string, timezone: string, latitude: number, longitude: number, areaCode: string): Place {
  return { city, region, country: "United States", zip, timezone, latitude, longitude, areaCode };
}

/** A place in Canada (its numbers are +1 too: the US toll-free sending number reaches them). */
function ca(city: string, region: string, zip: string, timezone: string, latitude: number, longitude: number, areaCode: string): Place {
  return { city, region, country: "Canada", zip, timezone, latitude, longitude, areaCode };
}

export const PLACES: readonly Place[] = [
  us("New York", "NY", "10001", "America/New_York", 40.7506, -73.9972, "212"),
  us("Los Angeles", "CA", "90012", "America/Los_Angeles", 34.0614, -118.2385, "310"),
  us("San Francisco", "CA", "94103", "America/Los_Angeles", 37.7725, -122.4091, "415"),
  us("Austin", "TX", "78701", "America/Chicago", 30.2711, -97.7437, "512"),
  us("Boston", "MA", "02116", "America/New_York", 42.3496, -71.0746, "617"),
  us("Seattle", "WA", "98101", "America/Los_Angeles", 47.6101, -122.3344, "206"),
  us("Denver", "CO", "80202", "America/Denver", 39.7530, -104.9990, "303"),
  us("Chicago", "IL", "60601", "America/Chicago", 41.8858, -87.6181, "312"),
  us("Portland", "OR", "97205", "America/Los_Angeles", 45.5202, -122.6742, "503"),
  us("Minneapolis", "MN", "55401", "America/Chicago", 44.9833, -93.2667, "612"),
  us("Salt Lake City", "UT", "84101", "America/Denver", 40.7608, -111.8910, "801"),
  us("Atlanta", "GA", "30303", "America/New_York", 33.7537, -84.3863, "404"),
  ca("Toronto", "ON", "M5V 2T6", "America/Toronto", 43.6426, -79.3871, "416"),
  ca("Vancouver", "BC", "V6B 1A1", "America/Vancouver", 49.2827, -123.1207, "604"),
];

/** IPv4 blocks reserved for documentation (RFC 5737): safe to publish, never a real visitor. */
export const DOC_IP_PREFIXES = ["192.0.2", "198.51.100", "203.0.113"] as const;

export interface Product {
  id: string;
  name: string;
  sku: string;
  price: number;
  categories: string[];
}

export const PRODUCTS: readonly Product[] = [
  { id: "7411200001", name: "Trail Runner Sneaker", sku: "SHOE-TRAIL-01", price: 89.0, categories: ["Shoes", "Running"] },
  { id: "7411200002", name: "Merino Crew Socks (3-pack)", sku: "SOCK-MERINO-3", price: 24.0, categories: ["Socks"] },
  { id: "7411200003", name: "Packable Rain Jacket", sku: "JKT-RAIN-02", price: 129.0, categories: ["Outerwear"] },
  { id: "7411200004", name: "Everyday Canvas Tote", sku: "BAG-TOTE-01", price: 35.0, categories: ["Bags"] },
  { id: "7411200005", name: "Insulated Water Bottle", sku: "BTL-INS-750", price: 29.0, categories: ["Accessories"] },
  { id: "7411200006", name: "Fleece Quarter-Zip", sku: "TOP-FLEECE-QZ", price: 74.0, categories: ["Tops"] },
  { id: "7411200007", name: "Wool Beanie", sku: "HAT-WOOL-01", price: 28.0, categories: ["Accessories", "Winter"] },
  { id: "7411200008", name: "Hiking Daypack 22L", sku: "BAG-DAY-22", price: 98.0, categories: ["Bags", "Hiking"] },
  { id: "7411200009", name: "Gift Card", sku: "GIFT-CARD", price: 50.0, categories: ["Gift Cards"] },
  { id: "7411200010", name: "Down Puffer Vest", sku: "VST-DOWN-01", price: 115.0, categories: ["Outerwear", "Winter"] },
];

export type IntegrationKey = "shopify" | "woocommerce" | "klaviyo" | "api";

/** The `integration` object Klaviyo puts on a metric's attributes. */
export interface Integration {
  object: "integration";
  id: string;
  key: IntegrationKey;
  name: "Shopify" | "WooCommerce" | "Klaviyo" | "API";
  category: string;
}

export const INTEGRATIONS: Record<IntegrationKey, Integration> = {
  shopify: { object: "integration", id: "0eMvjm", key: "shopify", name: "Shopify", category: "eCommerce" },
  woocommerce: { object: "integration", id: "9LJkAp", key: "woocommerce", name: "WooCommerce", category: "eCommerce" },
  klaviyo: { object: "integration", id: "0rG4eQ", key: "klaviyo", name: "Klaviyo", category: "Internal" },
  api: { object: "integration", id: "7FtS4J", key: "api", name: "API", category: "API" },
};
