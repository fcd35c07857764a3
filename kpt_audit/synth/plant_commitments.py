"""Planted commitment cases (EFF01).

EFF01  deadline before as_of and not done (high), or done after the deadline (low).
  + in progress, deadline 90 days ago.  + not started, deadline 10 days ago.
  + done 30 days after its deadline.
  - deadline exactly on as_of, in progress.  - done on the deadline day.
  - in progress, deadline 30 days ahead.
"""
from __future__ import annotations

from .kit import Kit


def plant(kit: Kit) -> None:
    c = kit.commitment("完成乡镇污水处理设施建设并投入运行", kit.day(-90), "in_progress")
    kit.expect("EFF01", c["item_id"])
    c = kit.commitment("启动县医院住院楼项目建设", kit.day(-10), "not_started")
    kit.expect("EFF01", c["item_id"])
    c = kit.commitment("完成拖欠农民工工资清零", kit.day(-150), "done", kit.day(-120))
    kit.expect("EFF01", c["item_id"])
    c = kit.commitment("完成垃圾分类示范片区建设", kit.as_of, "in_progress")
    kit.near("EFF01", c["item_id"], "deadline is as_of itself")
    c = kit.commitment("完成农村公路危桥改造", kit.day(-60), "done", kit.day(-60))
    kit.near("EFF01", c["item_id"], "done on the deadline day")
    c = kit.commitment("建成智慧停车管理平台", kit.day(30), "in_progress")
    kit.near("EFF01", c["item_id"], "deadline still ahead")
