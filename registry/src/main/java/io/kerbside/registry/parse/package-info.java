/** Reading asset lists: CSV and GeoJSON into field maps, field maps into validated records. */
package io.kerbside.registry.parse;
