package io.kerbside.sim.town;

import io.kerbside.core.DeviceKind;
import io.kerbside.sim.TownCentre;
import java.util.List;
import java.util.Objects;

/**
 * The simulated town: its assets, in a fixed order (bins, then streetlights, then pavement
 * sections, each numbered from 1). Immutable.
 *
 * @param centre where the town lies
 * @param radiusM how far its streets reach from the centre, metres
 * @param assets every asset; {@code assets.get(i).index() == i}
 */
public record Town(TownCentre centre, double radiusM, List<Asset> assets) {
  public Town {
    Objects.requireNonNull(centre, "centre");
    assets = List.copyOf(assets);
    for (int i = 0; i < assets.size(); i++) {
      if (assets.get(i).index() != i) {
        throw new IllegalArgumentException("asset " + i + " has index " + assets.get(i).index());
      }
    }
  }

  public int size() {
    return assets.size();
  }

  public Asset asset(int index) {
    return assets.get(index);
  }

  /** Number of assets of {@code kind}. */
  public int count(DeviceKind kind) {
    int n = 0;
    for (Asset a : assets) {
      if (a.kind() == kind) {
        n++;
      }
    }
    return n;
  }
}
