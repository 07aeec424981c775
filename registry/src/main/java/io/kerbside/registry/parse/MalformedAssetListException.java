package io.kerbside.registry.parse;

/**
 * Thrown when a whole asset list cannot be read: no header, a required column missing, JSON that is
 * not a FeatureCollection. Bad records in a readable list are rejected one by one instead.
 */
public final class MalformedAssetListException extends RuntimeException {
  public MalformedAssetListException(String message) {
    super(message);
  }
}
