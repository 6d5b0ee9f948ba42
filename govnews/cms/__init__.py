"""Which CMS a government site runs on, read off one of its pages.

Most government portals run on a handful of platforms (TRS WCM, Hanweb 大汉, the gov.cn
site-cluster platform, Founder 翔宇, DedeCMS, PHPCMS, EmpireCMS, WordPress) whose markup,
asset paths and URL shapes give them away. :mod:`govnews.cms.families` lists those signs
and each family's default selectors; :mod:`govnews.cms.detect` weighs them for one page.
"""

from govnews.cms.detect import detect
from govnews.cms.families import FAMILIES, Family

__all__ = ["FAMILIES", "Family", "detect"]
