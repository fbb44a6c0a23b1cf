"""What the reports print for the codes the ledger stores: labels for people, never codes.

Japanese first and English beside, as everywhere in the reports. A code not listed prints
as stored, so a new code never empties a cell.
"""

from __future__ import annotations

ACTIVITIES = {
    "electricity": "電気 / electricity", "city_gas": "都市ガス / city gas",
    "lpg": "LPガス / LPG", "kerosene": "灯油 / kerosene", "gasoline": "ガソリン / gasoline",
    "diesel": "軽油 / diesel", "heavy_oil_a": "A重油 / heavy oil A",
}
STATUSES = {"sourced": "出典確認済 / sourced", "unverified": "出典未確認 / unverified"}
PARAMETERS = {
    "bef_age_le_20": "BEF 拡大係数（20年生以下）/ expansion factor (up to 20 years)",
    "bef_age_gt_20": "BEF 拡大係数（21年生以上）/ expansion factor (over 20 years)",
    "root_shoot_ratio": "R 地下部比率 / root-to-shoot ratio",
    "wood_density_t_per_m3": "D 容積密度 t/m3 / wood density t/m3",
    "carbon_fraction": "CF 炭素含有率 / carbon fraction",
}


def label(table: dict[str, str], code: object) -> str:
    """Return the label of `code` in `table`, or the code itself when it has none."""
    return table.get(str(code), str(code))
