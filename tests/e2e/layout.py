"""Layout checks of the browser tests."""


def laid_out_width(page) -> int:
    """The page's width once its stylesheets apply. A check made after the rows appear but
    before the load event can measure the page unstyled — the menu's lists laid out flat,
    the bell's list 20rem wide beside the brand: 408 px on a 390 px phone, a failure seen
    now and then on a busy machine that no phone shows."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")
