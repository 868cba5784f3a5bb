package dev.carbonlens.limits;

/** A parser met one of CarbonLens' limits: the file (or document) is not analysed, and the notice says why. */
public final class LimitExceededException extends RuntimeException {
  private final transient LimitNotice notice;

  public LimitExceededException(LimitNotice notice) {
    super(notice.message(), null, false, false);
    this.notice = notice;
  }

  public LimitNotice notice() {
    return notice;
  }
}
